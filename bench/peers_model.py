"""The peers' side of the comparison: an Elman RNN as an nn.RNNCell loop unrolled over T steps."""
import torch


class Unrolled(torch.nn.Module):
    def __init__(self, steps: int, inputs: int = 8, hidden: int = 16, outputs: int = 8):
        super().__init__()
        self.steps = steps
        self.cell = torch.nn.RNNCell(inputs, hidden)
        self.out = torch.nn.Linear(hidden, outputs)

    def forward(self, xs):
        h = torch.zeros(xs.shape[1], self.cell.hidden_size)
        outputs = []
        for t in range(self.steps):
            h = self.cell(xs[t], h)
            outputs.append(self.out(h))
        return torch.stack(outputs)
