"""What every chapter script shares: the chapter's parameters, one thread, timed sections, one JSON report.

Each bench/pytorch/chapterNN.py does what notebooks/NN-*.ipynb computes, at the same scale and settings, written as the
PyTorch original writes it. The parameter names and defaults are the notebook's (its `parameters` cell; a script may
spell a name in snake_case, learning_rate for learningRate), which tests/Benchmarks.Tests checks. bench/run's C# side
passes the same overrides to both sides, in the notebook's names (--params '{"epochs": 3000}'), and what the script
needs from the notebook's run to repeat it exactly (the data a chapter drew, the epochs it ran) as a JSON file
(--inputs FILE).
Prints one JSON object on stdout: the seconds each named section took, the seconds from after the imports to the end,
the peak resident memory, and for L-BFGS sections the closure evaluations of each step and the last train loss.
"""
import argparse
import contextlib
import json
import platform
import resource
import sys
import time

import torch


def parameter_key(name):
    """A parameter's name as both sides match it: learningRate (the notebook's) and learning_rate are one parameter."""
    return name.replace("_", "").lower()


class Chapter:
    def __init__(self, description, defaults):
        parser = argparse.ArgumentParser(description=description)
        parser.add_argument("--params", default="{}", help="JSON object of parameter overrides (the notebook's names)")
        parser.add_argument("--data", default="data/airline-passengers.csv")
        parser.add_argument("--inputs", help="JSON file of what the notebook's run drew or decided (bench/run writes it)")
        args = parser.parse_args()
        by_key = {parameter_key(name): name for name in defaults}
        overrides = {by_key.get(parameter_key(name), name): value for name, value in json.loads(args.params).items()}
        unknown = set(overrides) - set(defaults)
        if unknown:
            sys.exit(f"unknown parameter(s) {sorted(unknown)}; this chapter has {sorted(defaults)}")
        self.p = {**defaults, **overrides}
        self.data = args.data
        self.inputs_file = args.inputs
        self.inputs = {}
        if args.inputs:
            with open(args.inputs, encoding="utf-8") as f:
                self.inputs = json.load(f)
        self.lbfgs = {}
        torch.set_num_threads(1)   # the course's thread policy: one thread is fastest for these tiny models
        self.sections = {}
        self._start = time.perf_counter()

    def __getitem__(self, name):
        return self.p[name]

    def input(self, name):
        """A value from the notebook's run (--inputs): the script repeats the notebook's computation on it."""
        if name not in self.inputs:
            given = f"; {self.inputs_file} has {sorted(self.inputs)}" if self.inputs_file else ""
            sys.exit(f"this script repeats the notebook's run and needs its '{name}': pass --inputs FILE "
                     f"(bench/run writes it from the notebook's variables){given}")
        return self.inputs[name]

    def float32_input(self, name):
        """A grid of numbers from the notebook's run as a float32 tensor: the notebook's very values."""
        return torch.tensor(self.input(name), dtype=torch.float64).float()

    def record_lbfgs(self, section, evaluations, last_train_loss):
        """What L-BFGS did in a section: the closure evaluations of each step and the train loss after the last."""
        self.lbfgs[section] = {"evaluations": evaluations, "last_train_loss": last_train_loss}

    @contextlib.contextmanager
    def section(self, name):
        start = time.perf_counter()
        yield
        self.sections[name] = self.sections.get(name, 0.0) + time.perf_counter() - start

    def finish(self):
        report = {
            "sections": self.sections,
            "compute_s": time.perf_counter() - self._start,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
            "lbfgs": self.lbfgs,
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "python": platform.python_version(),
        }
        print(json.dumps(report))


def airline_series(path):
    """The 144 monthly counts of data/airline-passengers.csv, as the original reads them (second column, float32)."""
    import numpy as np
    return np.loadtxt(path, delimiter=",", skiprows=1, usecols=1, dtype=np.float32)


class Sequence(torch.nn.Module):
    """The PyTorch example's model (time_sequence_prediction): two LSTMCells and a Linear, stepped by hand."""

    def __init__(self, hidden):
        super().__init__()
        self.hidden = hidden
        self.lstm1 = torch.nn.LSTMCell(1, hidden)
        self.lstm2 = torch.nn.LSTMCell(hidden, hidden)
        self.linear = torch.nn.Linear(hidden, 1)

    def forward(self, input, future=0):
        outputs = []
        h_t = torch.zeros(input.size(0), self.hidden, dtype=input.dtype)
        c_t = torch.zeros(input.size(0), self.hidden, dtype=input.dtype)
        h_t2 = torch.zeros(input.size(0), self.hidden, dtype=input.dtype)
        c_t2 = torch.zeros(input.size(0), self.hidden, dtype=input.dtype)
        for input_t in input.split(1, dim=1):
            h_t, c_t = self.lstm1(input_t, (h_t, c_t))
            h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
            output = self.linear(h_t2)
            outputs += [output]
        for _ in range(future):
            h_t, c_t = self.lstm1(output, (h_t, c_t))
            h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
            output = self.linear(h_t2)
            outputs += [output]
        return torch.cat(outputs, dim=1)


class AirModel(torch.nn.Module):
    """The airline article's model (chapter 3, retrained in chapter 6): nn.LSTM(1, hidden) + Linear at every step."""

    def __init__(self, hidden):
        super().__init__()
        self.lstm = torch.nn.LSTM(input_size=1, hidden_size=hidden, num_layers=1, batch_first=True)
        self.linear = torch.nn.Linear(hidden, 1)

    def forward(self, x):
        x, _ = self.lstm(x)
        return self.linear(x)


def create_dataset(dataset, lookback):
    """The article's windows: features dataset[i:i+lookback], targets one step later."""
    import numpy as np
    X, y = [], []
    for i in range(len(dataset) - lookback):
        X.append(dataset[i:i + lookback])
        y.append(dataset[i + 1:i + lookback + 1])
    return torch.tensor(np.array(X)), torch.tensor(np.array(y))


def train_epoch(model, optimizer, loss_fn, loader):
    """One epoch as the article writes it (the chapters' TrainEpoch): a step for each shuffled mini-batch."""
    model.train()
    for X_batch, y_batch in loader:
        y_pred = model(X_batch)
        loss = loss_fn(y_pred, y_batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def lbfgs_step(optimizer, compute_loss):
    """One L-BFGS step with the example's closure (the chapters' LbfgsStep): zero the gradients, compute the loss,
    backpropagate, return it — as often as the line search asks. Returns how many times it asked."""
    evaluations = 0

    def closure():
        nonlocal evaluations
        evaluations += 1
        optimizer.zero_grad()
        loss = compute_loss()
        loss.backward()
        return loss
    optimizer.step(closure)
    return evaluations
