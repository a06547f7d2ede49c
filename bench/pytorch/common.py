"""What every chapter script shares: the chapter's parameters, one thread, timed sections, one JSON report.

Each bench/pytorch/chapterNN.py does what notebooks/NN-*.ipynb computes, at the same scale and settings, written as the
PyTorch original writes it. The parameter names and defaults are the notebook's (its `parameters` cell); bench/run's
C# side passes the same overrides to both sides (--params '{"epochs": 3000}'). Prints one JSON object on stdout:
the seconds each named section took, the seconds from after the imports to the end, and the peak resident memory.
"""
import argparse
import contextlib
import json
import platform
import resource
import sys
import time

import torch


class Chapter:
    def __init__(self, description, defaults):
        parser = argparse.ArgumentParser(description=description)
        parser.add_argument("--params", default="{}", help="JSON object of parameter overrides (the notebook's names)")
        parser.add_argument("--data", default="data/airline-passengers.csv")
        args = parser.parse_args()
        overrides = json.loads(args.params)
        unknown = set(overrides) - set(defaults)
        if unknown:
            sys.exit(f"unknown parameter(s) {sorted(unknown)}; this chapter has {sorted(defaults)}")
        self.p = {**defaults, **overrides}
        self.data = args.data
        torch.set_num_threads(1)   # the course's thread policy: one thread is fastest for these tiny models
        self.sections = {}
        self._start = time.perf_counter()

    def __getitem__(self, name):
        return self.p[name]

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


def waves(count, length, period, seed, shape=lambda x: torch.sin(x)):
    """count waves of length points: shape((i + shift) / period), one random shift in [-4T, 4T) per wave."""
    generator = torch.Generator().manual_seed(seed)
    shifts = torch.randint(-4 * period, 4 * period, (count, 1), generator=generator)
    x = torch.arange(length).reshape(1, -1) + shifts
    return shape(x.double() / period).float()


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
