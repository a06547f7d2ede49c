"""Chapter 4: 100 sine waves of 1000 points (the first 3 test, the next 3 validation, 94 train), two LSTMCells + Linear
trained by L-BFGS with a closure; after every step the train loss, the validation loss of the one-step predictions, a
forecast of the validation waves `future` steps ahead, and the weights of the step with the lowest validation loss
kept; then those weights restored and the test waves' loss and forecast computed once — the PyTorch example's code
(time_sequence_prediction), in float32 like the chapter, with the chapter's split. The waves are the notebook's own
(the input "waves", each with its own shift), so both sides fit the same numbers; the closure evaluations of each step
are counted and reported."""
import copy

import torch
import torch.nn as nn
import torch.optim as optim

from common import Chapter, Sequence, lbfgs_step

ch = Chapter(__doc__, dict(waveCount=100, length=1000, period=20, testWaves=3, validationWaves=3, hiddenSize=64,
                           learningRate=0.08, steps=10, future=1000, seed=2))
data = ch.float32_input("waves")
if tuple(data.shape) != (ch["waveCount"], ch["length"]):
    raise SystemExit(f"the input waves are {tuple(data.shape)}; the parameters say ({ch['waveCount']}, {ch['length']})")
k, v = ch["testWaves"], ch["validationWaves"]
input, target = data[k + v:, :-1], data[k + v:, 1:]
validation_input, validation_target = data[k:k + v, :-1], data[k:k + v, 1:]
test_input, test_target = data[:k, :-1], data[:k, 1:]

torch.manual_seed(ch["seed"])
seq = Sequence(ch["hiddenSize"])
criterion = nn.MSELoss()
optimizer = optim.LBFGS(seq.parameters(), lr=ch["learningRate"])
best, best_loss, forecasts, evaluations, train_loss = None, float("inf"), [], [], None
with ch.section("L-BFGS steps"):
    for i in range(ch["steps"]):
        evaluations.append(lbfgs_step(optimizer, lambda: criterion(seq(input), target)))
        with torch.no_grad():
            train_loss = criterion(seq(input), target).item()
            pred = seq(validation_input, future=ch["future"])
            loss = criterion(pred[:, :validation_target.shape[1]], validation_target).item()
            forecasts.append(pred.numpy())
            if loss < best_loss:
                best, best_loss = copy.deepcopy(seq.state_dict()), loss
if best is None:
    raise SystemExit("no step gave a finite validation loss")
seq.load_state_dict(best)
with torch.no_grad():
    test_prediction = seq(test_input, future=ch["future"])
    test_loss = criterion(test_prediction[:, :test_target.shape[1]], test_target).item()
ch.record_lbfgs("L-BFGS steps", evaluations, train_loss)
ch.finish()
