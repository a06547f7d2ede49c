"""Chapter 3: airline passengers, windows of lookback 1 and 4, nn.LSTM(1, 50) + Linear, Adam on shuffled batches of 8,
train and test RMSE every reportEvery epochs, then the predictions — the original article's code."""
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
import torch.utils.data as data

from common import AirModel, Chapter, airline_series, create_dataset, train_epoch

ch = Chapter(__doc__, dict(epochs=2000, reportEvery=100, batchSize=8, hiddenSize=50, trainFraction=0.67, seed=1,
                           dataPath="../data/airline-passengers.csv"))
timeseries = airline_series(ch.data).reshape(-1, 1)
train_size = int(len(timeseries) * ch["trainFraction"])
train, test = timeseries[:train_size], timeseries[train_size:]


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
        train_epoch(model, optimizer, loss_fn, loader)
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
