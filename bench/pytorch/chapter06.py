"""Chapter 6: the airline series log-transformed, seasonally and then first differenced, divided by its standard
deviation over the training months (before the validation year); for every window length the windows of z; nn.LSTM + Linear on the last step,
Adam on shuffled batches of 8 with validation after every epoch and the best state kept — once per setting (window,
hidden size, learning rate) and selection seed, then the chosen setting's other seeds, each for as many epochs as the
notebook's run took (the input fitEpochs, which bench/run reads from the notebook's run); a ridge autoregression per window and penalty;
one-step and recursive 48-month forecasts per seed; then chapter 3's two models retrained on the same months for
chapter3Epochs epochs."""
import copy
import math

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
import torch.utils.data as data

from common import AirModel, Chapter, airline_series, create_dataset, train_epoch

ch = Chapter(__doc__, dict(dataPath="../data/airline-passengers.csv", trainFraction=0.67, validationMonths=12, windowChoices="12, 24",
                           hiddenSizeChoices="16, 32", learningRateChoices="0.001, 0.003", penaltyChoices="0, 1, 10, 100",
                           batchSize=8, maxEpochs=600, patience=100, selectionSeeds=2, seeds=5, chapter3Epochs=2000))


def numbers(text, kind):
    return [kind(v.strip()) for v in text.split(",")]


# Each (setting, seed) the notebook trained, in its order, with the epochs it ran: "window 12, hidden 32, learning rate
# 0.003, seed 2: stopped after epoch 143; …".
fit_epochs = ch.input("fitEpochs")
y = airline_series(ch.data).astype(np.float64)
train_size = int(len(y) * ch["trainFraction"])
validation_start = train_size - ch["validationMonths"]
test_months = list(range(train_size + 1, len(y)))
log_y = np.log(y)
first_month = 13


def d(t):
    return (log_y[t] - log_y[t - 12]) - (log_y[t - 1] - log_y[t - 13])


train_d = np.array([d(t) for t in range(first_month, validation_start)])
scale = train_d.std()   # no centring: z = 0 is d = 0, the benchmark
z = np.array([np.nan if t < first_month else d(t) / scale for t in range(len(y))], dtype=np.float32)


def windows(window, targets):
    x = torch.tensor(np.stack([z[m - window:m] for m in targets])).reshape(len(targets), window, 1)
    return x, torch.tensor(z[targets]).reshape(-1, 1)


def windowed(window):
    train = windows(window, list(range(first_month + window, validation_start)))
    validation = windows(window, list(range(validation_start, train_size)))
    test, _ = windows(window, test_months)
    return train, validation, test


data_by_window = {w: windowed(w) for w in numbers(ch["windowChoices"], int)}


class SeasonalLstm(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x):
        output, _ = self.lstm(x)
        return self.head(output[:, -1, :])


def train(window, hidden, rate, seed, epochs):
    (x_train, y_train), (x_val, y_val), _ = data_by_window[window]
    torch.manual_seed(seed)
    model = SeasonalLstm(hidden)
    optimizer = optim.Adam(model.parameters(), lr=rate)
    loss_fn = nn.MSELoss()
    loader = data.DataLoader(data.TensorDataset(x_train, y_train), shuffle=True, batch_size=ch["batchSize"])
    best, best_loss = None, math.inf
    for epoch in range(epochs):
        train_epoch(model, optimizer, loss_fn, loader)
        model.eval()
        with torch.no_grad():
            loss_fn(model(x_train), y_train).item()
            validation = loss_fn(model(x_val), y_val).item()
        if validation < best_loss:
            best, best_loss = copy.deepcopy(model.state_dict()), validation
    model.load_state_dict(best)
    return model, best_loss


def recursive(next_z, window, horizon=48):
    zs, logs = list(z[:train_size]), list(log_y[:train_size])
    for m in range(train_size, train_size + horizon):
        z_hat = next_z(np.array(zs[m - window:m], dtype=np.float32))
        zs.append(z_hat)
        logs.append(z_hat * scale + logs[m - 1] + logs[m - 12] - logs[m - 13])
    return np.exp(logs[train_size:])


def fit_linear(window, penalty):
    (x_train, y_train), (x_val, y_val), _ = data_by_window[window]
    a = x_train.reshape(len(x_train), -1).double()
    weights = torch.linalg.solve(a.T @ a + penalty * torch.eye(window, dtype=torch.float64), a.T @ y_train.double())
    return ((x_val.reshape(len(x_val), -1).double() @ weights - y_val.double()) ** 2).mean().item(), window, weights


selection = [f for f in fit_epochs if f["seed"] <= ch["selectionSeeds"]]
others = [f for f in fit_epochs if f["seed"] > ch["selectionSeeds"]]
trials = {}
with ch.section("LSTM: choosing the setting"):
    for f in selection:
        key = (f["window"], f["hidden"], f["rate"])
        trials.setdefault(key, []).append(train(*key, f["seed"], f["epochs"]))
# The notebook's choice: its other seeds were trained with it (the script's own losses differ in their last bits).
chosen = (others[0]["window"], others[0]["hidden"], others[0]["rate"]) if others else \
    min(trials, key=lambda k: np.mean([loss for _, loss in trials[k]]))

with ch.section("linear autoregression"):
    _, linear_window, linear_weights = min((fit_linear(w, p) for w in data_by_window for p in numbers(ch["penaltyChoices"], float)),
                                           key=lambda t: t[0])

with ch.section("LSTM: the chosen setting's other seeds"):
    models = [m for m, _ in trials[chosen]] + [train(f["window"], f["hidden"], f["rate"], f["seed"], f["epochs"])[0] for f in others]
    for model in models:
        model.eval()
        with torch.no_grad():
            model(data_by_window[chosen[0]][2]).reshape(-1).numpy()
    (data_by_window[linear_window][2].reshape(len(test_months), -1).double() @ linear_weights).numpy()

with torch.no_grad():   # the recursive forecasts: each model fed its own predictions for 48 months
    for model in models:
        recursive(lambda h: model(torch.tensor(h).reshape(1, chosen[0], 1)).item(), chosen[0])
    recursive(lambda h: (torch.tensor(h).double() @ linear_weights).item(), linear_window)

with ch.section("chapter 3's models"):
    series = airline_series(ch.data).reshape(-1, 1)
    for lookback in (1, 4):
        X, t = create_dataset(series[:train_size], lookback)
        X_test, _ = create_dataset(series[test_months[0] - lookback:], lookback)
        torch.manual_seed(1)
        model = AirModel(50)
        optimizer = optim.Adam(model.parameters())
        loss_fn = nn.MSELoss()
        loader = data.DataLoader(data.TensorDataset(X, t), shuffle=True, batch_size=8)
        for epoch in range(ch["chapter3Epochs"]):
            train_epoch(model, optimizer, loss_fn, loader)
        model.eval()
        with torch.no_grad():
            model(X_test)[:, -1, 0].numpy()
ch.finish()
