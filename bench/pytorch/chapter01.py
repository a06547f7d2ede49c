"""Chapter 1: a 1-13-1 tanh MLP fitted to 9 games by full-batch SGD, validation on 2, losses logged every logEvery."""
import torch
import torch.nn as nn
import torch.optim as optim

from common import Chapter

ch = Chapter(__doc__, dict(epochs=500_000, learningRate=1e-3, logEvery=10_000, hiddenSize=13, seed=42))
torch.manual_seed(ch["seed"])
games = torch.arange(11, dtype=torch.float32).reshape(-1, 1)
minutes = 1.6 * games + 4 + torch.normal(10.0, 1.0, size=(11, 1))   # the chapter's formula (its own seeded draws)
x_train, y_train, x_val, y_val = games[:9], minutes[:9], games[9:], minutes[9:]

model = nn.Sequential(nn.Linear(1, ch["hiddenSize"]), nn.Tanh(), nn.Linear(ch["hiddenSize"], 1))
optimizer = optim.SGD(model.parameters(), lr=ch["learningRate"])
loss_fn = nn.MSELoss()
train_losses, val_losses = [], []
with ch.section("training"):
    for epoch in range(1, ch["epochs"] + 1):
        optimizer.zero_grad()
        loss = loss_fn(model(x_train), y_train)
        loss.backward()
        optimizer.step()
        if epoch == 1 or epoch % ch["logEvery"] == 0 or epoch == ch["epochs"]:
            with torch.no_grad():
                train_losses.append(loss.item())
                val_losses.append(loss_fn(model(x_val), y_val).item())
with ch.section("the fitted curve"):
    with torch.no_grad():
        curve = model(torch.arange(151, dtype=torch.float32).reshape(-1, 1) / 10).reshape(-1).tolist()
ch.finish()
