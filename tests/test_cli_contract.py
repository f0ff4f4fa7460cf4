"""The CLI's contract, subcommand by subcommand: a user mistake exits 2 with one line that says what to fix."""
import subprocess

import pytest

from viz.cli import COMMANDS, main

# {tmp} is a fresh folder holding a file, `file.txt`, and a folder, `folder.svg`
BAD = [
    ([], "the following arguments are required: command"),
    (["draw"], "invalid choice: 'draw'"),
    (["--colour", "list"], "unrecognized arguments: --colour"),
    (["list", "extra"], "unrecognized arguments: extra"),
    (["export", "--arch", "elman"], "the following arguments are required: -o/--output"),
    (["export", "-o", "{tmp}/a.svg"], "give one of --arch, --recurrence, --file or --weights"),
    (["export", "--weights", "{tmp}/file.txt", "-o", "{tmp}/a.svg"], "not a readable torch weights file"),
    (["export", "--weights", "{tmp}/file.txt", "--arch", "elman", "-o", "{tmp}/a.svg"], "not both"),
    (["export", "--arch", "elman", "--file", "x.rnn", "-o", "{tmp}/a.svg"], "not allowed with argument"),
    (["export", "--arch", "elman", "-o", "{tmp}/a.jpg"], "must end in one of: .svg, .png, .pdf, .dot"),
    (["export", "--arch", "elman", "-o", "{tmp}/a"], "must end in one of"),
    (["export", "--arch", "elman", "-o", "{tmp}/missing/a.svg"], "the folder {tmp}/missing does not exist"),
    (["export", "--arch", "elman", "-o", "{tmp}/folder.svg"], "it is a folder"),
    (["export", "--arch", "elman", "-o", "/proc/unfold-test.svg"], "cannot write /proc/unfold-test.svg"),
    (["export", "--arch", "LSTM", "-o", "{tmp}/a.svg"], "unknown architecture 'LSTM' (did you mean 'lstm'?)"),
    (["export", "--arch", "lstmm", "-o", "{tmp}/a.svg"], "(did you mean 'lstm'?)"),
    (["export", "--arch", "qwerty", "-o", "{tmp}/a.svg"], "unknown architecture 'qwerty'; `unfold list`"),
    (["export", "--arch", "elman", "--steps", "8", "-o", "{tmp}/a.svg"], "apply to --view unfolded"),
    (["export", "--arch", "elman", "--view", "window", "--elide", "-o", "{tmp}/a.svg"], "apply to --view unfolded"),
    (["export", "--arch", "elman", "--view", "unfolded", "--steps", "0", "-o", "{tmp}/a.svg"], "at least 1"),
    (["export", "--arch", "elman", "--view", "unfolded", "--steps", "x", "-o", "{tmp}/a.svg"], "invalid int"),
    (["export", "--arch", "elman", "--view", "sideways", "-o", "{tmp}/a.svg"], "invalid choice: 'sideways'"),
    (["export", "--recurrence", "h = __import__('os')", "-o", "{tmp}/a.svg"], "line 1"),
    (["export", "--file", "{tmp}/missing.rnn", "-o", "{tmp}/a.svg"], "cannot read"),
    (["gt"], "one of the arguments --arch --recurrence --file is required"),
    (["gt", "--arch", "tdnn"], "has no state"),
    (["gt", "--arch", "elman", "--state", "zz"], "'zz' is not defined"),
    (["gt", "--arch", "elman", "--steps", "100"], "from 1 to 12"),
    (["run", "--arch", "elman"], "this recurrence reads x, y: give a sequence for it"),   # --steps serves inputless ones
    (["run", "--numbers", "1,2"], "give a recurrence, an architecture or a weights file"),
    (["run", "--arch", "elman", "--numbers", "1,x"], "numbers must look like"),
    (["run", "--arch", "elman", "--numbers", "1,2", "--split", "char"], "apply to --text only"),
    (["run", "--arch", "elman", "--text", "hi", "--hidden", "0"], "hidden size"),
    (["run", "--arch", "elman", "--text", "hi", "--gif", "{tmp}/a.mp4"], "must end in one of: .gif"),
    (["run", "--arch", "elman", "--text", "hi", "--gif", "{tmp}/missing/a.gif"], "does not exist"),
    (["run", "--arch", "elman", "--text", "hi", "--frames", "{tmp}/file.txt"], "a file is in the way"),
    (["run", "--arch", "elman", "--sequence-file", "{tmp}/missing.npy"], "cannot read"),
    (["run", "--weights", "{tmp}/file.txt", "--text", "hi"], "not a readable torch weights file"),
    (["run", "--arch", "elman", "--text", "hi", "--backend", "jax"], "invalid choice: 'jax'"),
    (["explain"], "the following arguments are required: sentences"),
    (["year"], "the following arguments are required: sentences"),
    (["run", "--arch", "elman", "--text", "hi", "--svg-animation", "{tmp}/a.gif"], "must end in one of: .svg"),
]


def test_every_subcommand_has_bad_rows():
    assert {argv[0] for argv, _ in BAD if argv and argv[0] in COMMANDS} == set(COMMANDS) - {"app"}


@pytest.mark.parametrize("argv, message", BAD, ids=[" ".join(argv) or "(nothing)" for argv, _ in BAD])
def test_a_user_mistake_exits_2_with_one_line(argv, message, tmp_path, capsys):
    (tmp_path / "file.txt").write_text("not a weights file")
    (tmp_path / "folder.svg").mkdir()
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in argv]
    try:
        code = main(argv)
    except SystemExit as done:   # argparse's own errors
        code = done.code
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert message.replace("{tmp}", str(tmp_path)) in err
    assert not list(tmp_path.glob("a.*")), "a failed command left a file behind"


def test_the_console_script_keeps_the_contract(tmp_path, unfold_command):
    """Through the installed command, from another folder: one line on stderr, no traceback."""
    unfold = unfold_command
    for argv in (["export", "--arch", "LSTM", "-o", "a.svg"], ["export", "--arch", "elman", "-o", "a.jpg"],
                 ["gt", "--arch", "tdnn"], ["run", "--arch", "elman", "--text", "hi", "--gif", "a.mp4"]):
        done = subprocess.run([unfold, *argv], capture_output=True, text=True, cwd=tmp_path)
        assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert not list(tmp_path.iterdir())


def test_a_bug_is_70_and_still_one_line(monkeypatch, capsys):
    def broken(args):
        raise KeyError("oops")
    monkeypatch.setitem(COMMANDS, "list", broken)
    assert main(["list"]) == 70
    assert capsys.readouterr().err == "internal error (KeyError): 'oops'; please report it\n"


def test_version_names_the_release(capsys):
    from unfold import __version__
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out == f"unfold {__version__}\n"
