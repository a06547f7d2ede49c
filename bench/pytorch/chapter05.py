"""Chapter 5: the chapter-4 recipe sized from the data's shape — the new cos(sin(x/T)²) waves the notebook drew, then
its 100 seasons of 11 games (the inputs "waves" and "minutes": the notebook's own numbers); L-BFGS with a closure, train
and test loss after every step, forecasts after the first and the last step; closure evaluations counted per step.
The parameters that draw the data (dataSeed, minWaves, …, minutesSeed) are accepted for the notebook's names; the data
itself comes from the notebook's run."""
import torch
import torch.nn as nn
import torch.optim as optim

from common import Chapter, Sequence, lbfgs_step

ch = Chapter(__doc__, dict(dataSeed=11, minWaves=50, maxWaves=200, minLength=800, maxLength=1200, trainProportion=0.95,
                           hiddenSize=64, learningRate=0.08, steps=10, seasons=100, gamesPerSeason=11, minutesSeed=5,
                           seed=3))


def fit(section, data):
    n, l = data.shape
    train_count = min(max(int(n * ch["trainProportion"]), 1), n - 1)
    test_count = n - train_count
    input, target = data[test_count:, :-1], data[test_count:, 1:]
    test_input, test_target = data[:test_count, :-1], data[:test_count, 1:]
    torch.manual_seed(ch["seed"])
    seq = Sequence(ch["hiddenSize"])
    criterion = nn.MSELoss()
    optimizer = optim.LBFGS(seq.parameters(), lr=ch["learningRate"])
    losses, first, evaluations = [], None, []
    for step in range(1, ch["steps"] + 1):
        evaluations.append(lbfgs_step(optimizer, lambda: criterion(seq(input), target)))
        with torch.no_grad():
            losses.append((criterion(seq(input), target).item(), criterion(seq(test_input), test_target).item()))
            if step == 1:
                first = seq(test_input, future=l)[:3].numpy()
    with torch.no_grad():
        last = seq(test_input, future=l)[:3].numpy()
    ch.record_lbfgs(section, evaluations, losses[-1][0])
    return losses, first, last


waves, minutes = ch.float32_input("waves"), ch.float32_input("minutes")
if tuple(minutes.shape) != (ch["seasons"], ch["gamesPerSeason"]):
    raise SystemExit(f"the input minutes are {tuple(minutes.shape)}; the parameters say ({ch['seasons']}, {ch['gamesPerSeason']})")
with ch.section("new waves"):
    fit("new waves", waves)
with ch.section("minutes"):
    fit("minutes", minutes)
ch.finish()
