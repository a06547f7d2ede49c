"""Chapter 5: the chapter-4 recipe sized from the data's shape — the new cos(sin(x/T)²) waves the notebook drew, then
its 100 seasons of 11 games (the inputs "waves" and "minutes": the notebook's own numbers), each split as the
notebook's builder splits it (the first max(1, ⌊N·testProportion⌋) series test, the next max(1,
⌊N·validationProportion⌋) validate, the rest train); L-BFGS with a closure, train and validation loss after every
step, the weights of the step with the lowest validation loss kept and restored, then the test series' loss and
forecast computed once; closure evaluations counted per step. The parameters that draw the data (dataSeed, minWaves,
…, minutesSeed) are accepted for the notebook's names; the data itself comes from the notebook's run."""
import copy

import torch
import torch.nn as nn
import torch.optim as optim

from common import Chapter, Sequence, lbfgs_step

ch = Chapter(__doc__, dict(dataSeed=11, minWaves=50, maxWaves=200, minLength=800, maxLength=1200,
                           validationProportion=0.05, testProportion=0.05, hiddenSize=64, learningRate=0.08, steps=10,
                           seasons=100, gamesPerSeason=11, minutesSeed=5, seed=3))


def fit(section, data):
    n, l = data.shape
    test_count = max(1, int(n * ch["testProportion"]))
    validation_count = max(1, int(n * ch["validationProportion"]))
    if n - test_count - validation_count < 1:
        raise SystemExit(f"{test_count} test and {validation_count} validation series leave none of the {n} to train on")
    held_out = test_count + validation_count
    input, target = data[held_out:, :-1], data[held_out:, 1:]
    validation_input, validation_target = data[test_count:held_out, :-1], data[test_count:held_out, 1:]
    test_input, test_target = data[:test_count, :-1], data[:test_count, 1:]
    torch.manual_seed(ch["seed"])
    seq = Sequence(ch["hiddenSize"])
    criterion = nn.MSELoss()
    optimizer = optim.LBFGS(seq.parameters(), lr=ch["learningRate"])
    losses, evaluations, best, best_loss = [], [], None, float("inf")
    for step in range(1, ch["steps"] + 1):
        evaluations.append(lbfgs_step(optimizer, lambda: criterion(seq(input), target)))
        with torch.no_grad():
            losses.append((criterion(seq(input), target).item(), criterion(seq(validation_input), validation_target).item()))
            if losses[-1][1] < best_loss:
                best, best_loss = copy.deepcopy(seq.state_dict()), losses[-1][1]
    if best is None:
        raise SystemExit(f"{section}: no step gave a finite validation loss")
    seq.load_state_dict(best)
    with torch.no_grad():
        prediction = seq(test_input, future=l)
        test_loss = criterion(prediction[:, :l - 1], test_target).item()
    ch.record_lbfgs(section, evaluations, losses[-1][0])
    return losses, test_loss, prediction[:3].numpy()


waves, minutes = ch.float32_input("waves"), ch.float32_input("minutes")
if tuple(minutes.shape) != (ch["seasons"], ch["gamesPerSeason"]):
    raise SystemExit(f"the input minutes are {tuple(minutes.shape)}; the parameters say ({ch['seasons']}, {ch['gamesPerSeason']})")
with ch.section("new waves"):
    fit("new waves", waves)
with ch.section("minutes"):
    fit("minutes", minutes)
ch.finish()
