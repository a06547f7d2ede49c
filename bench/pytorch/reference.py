#!/usr/bin/env python3
"""PyTorch reference timings for the course's benchmark (bench/run compares them with the C# side).

Each case is the PyTorch original's code for the same computation the chapter runs: same shapes, hyper-parameters and
dtype (float32, as the chapters use; --sine-dtype float64 times the sine example in the PyTorch example's own double
precision for comparison). One thread, like the course's thread policy. Prints one JSON object: for every case the
median, minimum and maximum milliseconds of `repeats` timed runs after `warmup` untimed ones.

    python3 bench/pytorch/reference.py [--quick] [--sine-dtype float32|float64] [--output FILE]
"""
import argparse
import json
import math
import platform
import resource
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
import torch.utils.data as data


def measure(name, run, per, warmup, repeats, unit):
    """Times `run()` `repeats` times after `warmup` calls; each run does `per` units of work."""
    for _ in range(warmup):
        run()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000.0 / per)
    result = {"median_ms": statistics.median(samples), "min_ms": min(samples), "max_ms": max(samples),
              "repeats": repeats, "unit": unit,
              "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}
    print(f"  {name:<28} {result['median_ms']:10.4f} ms per {unit}", file=sys.stderr)
    return result


# --- chapter 1: the 1-13-1 MLP, full-batch SGD on 9 points -------------------------------------------------------
def mlp_case(quick):
    torch.manual_seed(42)
    x = torch.arange(1, 10, dtype=torch.float32).reshape(-1, 1)
    y = 30 - 2 * x + torch.randn_like(x)
    model = nn.Sequential(nn.Linear(1, 13), nn.Tanh(), nn.Linear(13, 1))
    optimizer = optim.SGD(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    epochs = 2_000 if quick else 10_000

    def run():
        for _ in range(epochs):
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()

    return measure("mlp-epoch", run, epochs, 1, 5, "epoch")


# --- chapter 3: airline passengers, nn.LSTM(1, 50) + Linear, Adam, batch 8 ----------------------------------------
class AirModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=50, num_layers=1, batch_first=True)
        self.linear = nn.Linear(50, 1)

    def forward(self, x):
        x, _ = self.lstm(x)
        return self.linear(x)


def create_dataset(dataset, lookback):
    X, y = [], []
    for i in range(len(dataset) - lookback):
        X.append(dataset[i:i + lookback])
        y.append(dataset[i + 1:i + lookback + 1])
    return torch.tensor(np.array(X)), torch.tensor(np.array(y))


def airline_case(path, lookback, quick):
    series = np.loadtxt(path, delimiter=",", skiprows=1, usecols=1, dtype=np.float32).reshape(-1, 1)
    train = series[:int(len(series) * 0.67)]
    X_train, y_train = create_dataset(train, lookback)
    torch.manual_seed(1)
    model = AirModel()
    optimizer = optim.Adam(model.parameters())
    loss_fn = nn.MSELoss()
    loader = data.DataLoader(data.TensorDataset(X_train, y_train), shuffle=True, batch_size=8)
    epochs = 10 if quick else 40

    def run():
        for _ in range(epochs):
            model.train()
            for X_batch, y_batch in loader:
                y_pred = model(X_batch)
                loss = loss_fn(y_pred, y_batch)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()

    return measure(f"airline-epoch-lookback{lookback}", run, epochs, 1, 5, "epoch")


# --- chapter 4: sine waves, two LSTMCells + Linear, L-BFGS with a closure -----------------------------------------
class Sequence(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.hidden = hidden
        self.lstm1 = nn.LSTMCell(1, hidden)
        self.lstm2 = nn.LSTMCell(hidden, hidden)
        self.linear = nn.Linear(hidden, 1)

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


def sine_data(dtype):
    # generate_sine_wave.py of the PyTorch example: 100 waves of 1000 points, T = 20, random shifts.
    np.random.seed(2)
    T, L, N = 20, 1000, 100
    x = np.empty((N, L), "int64")
    x[:] = np.array(range(L)) + np.random.randint(-4 * T, 4 * T, N).reshape(N, 1)
    waves = np.sin(x / 1.0 / T)
    d = torch.from_numpy(waves).to(dtype)
    return d[3:, :-1], d[3:, 1:], d[:3, :-1]


def sine_cases(dtype, quick):
    train_input, train_target, test_input = sine_data(dtype)
    torch.manual_seed(2)
    seq = Sequence(64).to(dtype)
    criterion = nn.MSELoss()
    optimizer = optim.LBFGS(seq.parameters(), lr=0.08)
    suffix = "" if dtype == torch.float32 else "-float64"

    def closure():
        optimizer.zero_grad()
        out = seq(train_input)
        loss = criterion(out, train_target)
        loss.backward()
        return loss

    results = {f"sine-closure{suffix}": measure(f"sine-closure{suffix}", closure, 1, 1, 3 if quick else 5, "evaluation")}
    evaluations = []

    def step():
        count = [0]

        def counted():
            count[0] += 1
            return closure()
        optimizer.step(counted)
        evaluations.append(count[0])

    if not quick:
        results[f"sine-lbfgs-step{suffix}"] = measure(f"sine-lbfgs-step{suffix}", step, 1, 0, 2, "step")
        results[f"sine-lbfgs-step{suffix}"]["evaluations"] = evaluations

    def forecast():
        with torch.no_grad():
            seq(test_input, future=1000)

    results[f"sine-forecast-1000{suffix}"] = measure(f"sine-forecast-1000{suffix}", forecast, 1, 1, 3 if quick else 5, "forecast")
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, no L-BFGS step (a smoke run)")
    parser.add_argument("--sine-dtype", choices=["float32", "float64"], action="append",
                        help="dtype(s) for the sine cases (default float32)")
    parser.add_argument("--data", default="data/airline-passengers.csv")
    parser.add_argument("--output", help="write the JSON here as well as to stdout")
    args = parser.parse_args()

    torch.set_num_threads(1)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} thread, {platform.processor() or platform.machine()}",
          file=sys.stderr)
    results = {"mlp-epoch": mlp_case(args.quick)}
    for lookback in (1, 4):
        results[f"airline-epoch-lookback{lookback}"] = airline_case(args.data, lookback, args.quick)
    for name in args.sine_dtype or ["float32"]:
        results.update(sine_cases(getattr(torch, name), args.quick))

    report = {"side": "pytorch", "version": torch.__version__, "threads": torch.get_num_threads(),
              "python": platform.python_version(), "results": results}
    text = json.dumps(report, indent=2)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
