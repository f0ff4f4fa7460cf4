import ast

from graphs.explainers import pycorpus
from graphs.explainers.tablayout import spaces, tabbed
from graphs.explainers.units import labels

SOURCE = '''class A:
    def f(self, x,
          y):
        s = """keep
      this   layout"""
        if x and \\
                y:
            return [x,
                    y]
'''


def test_tabs_replace_the_leading_spaces_and_nothing_else():
    text = tabbed(SOURCE)
    assert text.split("\n") == ["class A:", "\tdef f(self, x,", "\t\t\ty):", '\t\ts = """keep',
                                "      this   layout\"\"\"", "\t\tif x and \\", "\t\t\t\ty:", "\t\t\treturn [x,",
                                "\t\t\t\t\ty]", ""]
    assert ast.dump(ast.parse(text)) == ast.dump(ast.parse(SOURCE))


def test_readers_see_four_spaces_a_level():
    assert spaces(tabbed(SOURCE)).split("\n")[:4] == ["class A:", "    def f(self, x,", "            y):",
                                                      '        s = """keep']
    assert spaces("\tx = '\t'\n") == "    x = '\t'\n"       # a tab inside a line is not layout


def test_corpus_modules_laid_out_with_tabs_keep_their_spaces_only_inside_strings():
    for name in pycorpus.VALID_MODULES + ("glob",):
        text = tabbed(pycorpus.module_source(name))     # also checks the program is the same
        inside = labels(text)["inside a string"]
        spaced = [i for i in range(1, len(text)) if text[i - 1] == "\n" and text[i] == " " and not inside[i - 1]]
        assert not spaced and text.count("\n\t") > 100, name


def test_a_tab_counts_as_one_level_of_indentation():
    assert labels("\tx\n    y")["indentation"].tolist() == [4, 4, 0, 1, 2, 3, 4, 4]


def test_every_corpus_layout_is_the_same_program_in_its_alphabet():
    for name in pycorpus.VALID_MODULES:
        program = ast.dump(ast.parse(pycorpus.module_source(name)))
        for layout in pycorpus.LAYOUTS:
            code = pycorpus.module_source(name, layout=layout)
            assert ast.dump(ast.parse(code)) == program, (name, layout)
            assert set(code) <= set(pycorpus.alphabet(layout))
            assert ("\t" in code) == (layout != "written")


def test_one_line_layout_has_one_statement_a_line():
    code = pycorpus.source_in("x = f(1,\n      2)\nif x:\n    y = [3,\n         4]\n", "one-line tabs")
    assert code == "x = f(1, 2)\nif x:\n\ty = [3, 4]\n"
