"""The one list of operations the language knows; backends implement exactly these names."""
import ast

# Python operators the parser accepts, and the op name each becomes.
BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.MatMult: "matmul", ast.Div: "div"}
INFIX = {"add": "+", "sub": "-", "mul": "*", "matmul": "@", "div": "/"}

# Callable functions: name -> (fewest, most) arguments.
FUNCTIONS = {
    "tanh": (1, 1), "sigmoid": (1, 1), "relu": (1, 1), "exp": (1, 1), "log": (1, 1),
    "softmax": (1, 1),
    "concat": (2, 8),            # stack vectors into one
    "cross_entropy": (2, 2),     # cross_entropy(probabilities, one-hot target)
    "mse": (2, 2),               # mean squared error
    "teacher_forcing": (2, 2),   # teacher_forcing(target, output): 1st when training, 2nd at test
    "f": (2, 9),                 # f(args..., θ): a generic learned transition tanh(θ @ concat(args))
}
LOSSES = {"cross_entropy", "mse"}
ALL = set(INFIX) | set(FUNCTIONS) | {"neg"}
EVALUATOR_ONLY = {"teacher_forcing", "f"}   # handled by the evaluator itself, not by a backend's table
