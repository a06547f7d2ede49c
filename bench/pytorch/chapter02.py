"""Chapter 2: the LSTM cell's equations by hand against nn.LSTMCell, step by step, and nn.LSTM with the same weights."""
import torch
import torch.nn as nn

from common import Chapter

ch = Chapter(__doc__, dict(inputSize=1, hiddenSize=4, batchSize=2, sequenceLength=60, seed=7))
H, B, T = ch["hiddenSize"], ch["batchSize"], ch["sequenceLength"]


def lstm_step(x, h, c, w_ih, w_hh, b_ih, b_hh):
    z = x @ w_ih.t() + b_ih + h @ w_hh.t() + b_hh
    i, f, g, o = z.chunk(4, dim=1)
    i, f, g, o = i.sigmoid(), f.sigmoid(), g.tanh(), o.sigmoid()
    c_next = f * c + i * g
    return o * c_next.tanh(), c_next, (i, f, g, o)


with ch.section("the cell's math"):
    torch.manual_seed(ch["seed"])
    cell = nn.LSTMCell(ch["inputSize"], H)
    time_ = torch.arange(T, dtype=torch.float32)
    x = (time_.unsqueeze(1) / 4 + torch.arange(B, dtype=torch.float32) * 1.5).sin().unsqueeze(2)
    h_hand, c_hand, h_torch, c_torch = (torch.zeros(B, H) for _ in range(4))
    hand, torch_states, cells, gates = [], [], [], []
    with torch.no_grad():
        for t in range(T):
            h_hand, c_hand, g = lstm_step(x[t], h_hand, c_hand, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
            h_torch, c_torch = cell(x[t], (h_torch, c_torch))
            hand.append(h_hand); torch_states.append(h_torch); cells.append(c_hand); gates.append(g)
        max_difference = (torch.stack(hand) - torch.stack(torch_states)).abs().max().item()
        lstm = nn.LSTM(ch["inputSize"], H, num_layers=1, batch_first=True)
        lstm.weight_ih_l0.copy_(cell.weight_ih); lstm.weight_hh_l0.copy_(cell.weight_hh)
        lstm.bias_ih_l0.copy_(cell.bias_ih); lstm.bias_hh_l0.copy_(cell.bias_hh)
        output, (h_n, c_n) = lstm(x.permute(1, 0, 2), (torch.zeros(1, B, H), torch.zeros(1, B, H)))
        difference = (output - torch.stack(torch_states, dim=1)).abs().max().item()
        heatmap = [[g[k][0, u].item() for g in gates] for k in (0, 1, 3) for u in range(H)]
        trajectory = [[c[0, u].item() for c in cells] for u in range(H)]
ch.finish()
