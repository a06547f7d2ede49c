"""Chapter 6: the airline series log-transformed, seasonally and then first differenced, standardised on the training
months; 24-month windows; nn.LSTM(1, 32) + Linear on the last step; Adam on shuffled batches of 8 with validation after
every epoch and the best state kept, once per seed for as many epochs as the notebook's run took (the input
seedEpochs, from the notebook's output); one-step and recursive 48-month forecasts per seed; then chapter 3's two
models retrained on the same months for chapter3Epochs epochs."""
import copy
import math

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
import torch.utils.data as data

from common import AirModel, Chapter, airline_series, create_dataset, train_epoch

ch = Chapter(__doc__, dict(dataPath="", trainFraction=0.67, window=24, validationMonths=12, hiddenSize=32, batchSize=8,
                           learningRate=0.001, maxEpochs=600, patience=100, seeds=5, chapter3Epochs=2000))
seed_epochs = ch.input("seedEpochs")
if len(seed_epochs) != ch["seeds"]:
    raise SystemExit(f"seedEpochs has {len(seed_epochs)} entries; the notebook ran {ch['seeds']} seeds")
y = airline_series(ch.data).astype(np.float64)
train_size = int(len(y) * ch["trainFraction"])
test_months = list(range(train_size + 1, len(y)))
log_y = np.log(y)
first_month, window = 13, ch["window"]


def d(t):
    return (log_y[t] - log_y[t - 12]) - (log_y[t - 1] - log_y[t - 13])


train_d = np.array([d(t) for t in range(first_month, train_size)])
mean, std = train_d.mean(), train_d.std()
z = np.array([np.nan if t < first_month else (d(t) - mean) / std for t in range(len(y))], dtype=np.float32)


def windows(targets):
    x = torch.tensor(np.stack([z[m - window:m] for m in targets])).reshape(len(targets), window, 1)
    return x, torch.tensor(z[targets]).reshape(-1, 1)


validation_start = train_size - ch["validationMonths"]
x_train, y_train = windows(list(range(first_month + window, validation_start)))
x_val, y_val = windows(list(range(validation_start, train_size)))
x_test, _ = windows(test_months)


class SeasonalLstm(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x):
        output, _ = self.lstm(x)
        return self.head(output[:, -1, :])


def train(seed, epochs):
    torch.manual_seed(seed)
    model = SeasonalLstm(ch["hiddenSize"])
    optimizer = optim.Adam(model.parameters(), lr=ch["learningRate"])
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
    return model


def forecasts(model):
    model.eval()
    with torch.no_grad():
        one_step = model(x_test).reshape(-1).numpy()
        zs, logs = list(z[:train_size]), list(log_y[:train_size])
        for m in range(train_size, train_size + 48):
            z_hat = model(torch.tensor(np.array(zs[m - window:m], dtype=np.float32)).reshape(1, window, 1)).item()
            zs.append(z_hat)
            logs.append(z_hat * std + mean + logs[m - 1] + logs[m - 12] - logs[m - 13])
    return one_step, np.exp(logs[train_size:])


with ch.section("LSTM, all seeds"):
    for seed, epochs in zip(range(1, ch["seeds"] + 1), seed_epochs):
        forecasts(train(seed, epochs))


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
