"""Chapter 3: airline passengers, windows of lookback 1 and 4, nn.LSTM(1, 50) + Linear, Adam on shuffled batches of 8,
train and test RMSE every reportEvery epochs, then the predictions — the original article's code."""
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
import torch.utils.data as data

from common import Chapter, airline_series

ch = Chapter(__doc__, dict(epochs=2000, reportEvery=100, batchSize=8, hiddenSize=50, trainFraction=0.67, seed=1,
                           dataPath="../data/airline-passengers.csv"))
timeseries = airline_series(ch.data).reshape(-1, 1)
train_size = int(len(timeseries) * ch["trainFraction"])
train, test = timeseries[:train_size], timeseries[train_size:]


def create_dataset(dataset, lookback):
    X, y = [], []
    for i in range(len(dataset) - lookback):
        X.append(dataset[i:i + lookback])
        y.append(dataset[i + 1:i + lookback + 1])
    return torch.tensor(np.array(X)), torch.tensor(np.array(y))


class AirModel(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=hidden, num_layers=1, batch_first=True)
        self.linear = nn.Linear(hidden, 1)

    def forward(self, x):
        x, _ = self.lstm(x)
        return self.linear(x)


def experiment(lookback):
    X_train, y_train = create_dataset(train, lookback)
    X_test, y_test = create_dataset(test, lookback)
    torch.manual_seed(ch["seed"])
    model = AirModel(ch["hiddenSize"])
    optimizer = optim.Adam(model.parameters())
    loss_fn = nn.MSELoss()
    loader = data.DataLoader(data.TensorDataset(X_train, y_train), shuffle=True, batch_size=ch["batchSize"])
    history = []

    def evaluate():
        model.eval()
        with torch.no_grad():
            history.append((np.sqrt(loss_fn(model(X_train), y_train).item()), np.sqrt(loss_fn(model(X_test), y_test).item())))

    evaluate()
    for epoch in range(1, ch["epochs"] + 1):
        model.train()
        for X_batch, y_batch in loader:
            y_pred = model(X_batch)
            loss = loss_fn(y_pred, y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if epoch % ch["reportEvery"] == 0 or epoch == ch["epochs"]:
            evaluate()
    model.eval()
    with torch.no_grad():
        return history, model(X_train)[:, -1, 0].numpy(), model(X_test)[:, -1, 0].numpy()


with ch.section("training, lookback 1"):
    experiment(1)
with ch.section("training, lookback 4"):
    experiment(4)
ch.finish()
