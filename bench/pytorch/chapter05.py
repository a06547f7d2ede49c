"""Chapter 5: the chapter-4 recipe sized from the data's shape — new cos(sin(x/T)²) waves of the size the notebook drew
(passed in as drawnWaves, drawnLength, drawnPeriod), then 100 seasons of 11 games; L-BFGS with a closure, train and test
loss after every step, forecasts after the first and the last step."""
import torch
import torch.nn as nn
import torch.optim as optim

from common import Chapter, Sequence, waves

ch = Chapter(__doc__, dict(dataSeed=11, minWaves=50, maxWaves=200, minLength=800, maxLength=1200, trainProportion=0.95,
                           hiddenSize=64, learningRate=0.08, steps=10, seasons=100, gamesPerSeason=11, minutesSeed=5,
                           seed=3, drawnWaves=0, drawnLength=0, drawnPeriod=0))
if not ch["drawnWaves"]:
    raise SystemExit("pass the size chapter 5 drew: --params '{\"drawnWaves\": N, \"drawnLength\": L, \"drawnPeriod\": T}'")


def fit(data):
    n, l = data.shape
    train_count = min(max(int(n * ch["trainProportion"]), 1), n - 1)
    test_count = n - train_count
    input, target = data[test_count:, :-1], data[test_count:, 1:]
    test_input, test_target = data[:test_count, :-1], data[:test_count, 1:]
    torch.manual_seed(ch["seed"])
    seq = Sequence(ch["hiddenSize"])
    criterion = nn.MSELoss()
    optimizer = optim.LBFGS(seq.parameters(), lr=ch["learningRate"])
    losses, first = [], None
    for step in range(1, ch["steps"] + 1):
        def closure():
            optimizer.zero_grad()
            loss = criterion(seq(input), target)
            loss.backward()
            return loss
        optimizer.step(closure)
        with torch.no_grad():
            losses.append((criterion(seq(input), target).item(), criterion(seq(test_input), test_target).item()))
            if step == 1:
                first = seq(test_input, future=l)[:3].numpy()
    with torch.no_grad():
        last = seq(test_input, future=l)[:3].numpy()
    return losses, first, last


with ch.section("new waves"):
    fit(waves(ch["drawnWaves"], ch["drawnLength"], ch["drawnPeriod"], ch["dataSeed"], shape=lambda x: torch.cos(torch.sin(x) ** 2)))
with ch.section("minutes"):
    games = torch.arange(ch["gamesPerSeason"], dtype=torch.float32)
    generator = torch.Generator().manual_seed(ch["minutesSeed"])
    levels = torch.normal(10.0, 1.0, size=(ch["seasons"], 1), generator=generator)
    fit(1.6 * games + 4 + levels)
ch.finish()
