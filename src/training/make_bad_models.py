"""Writes fixtures/crnn/wrong_shape.onnx: a model with the right input/output names but a 64-frame input, for the
C# contract test. Usage: /usr/bin/python3 src/training/make_bad_models.py"""
import torch
import torch.nn as nn


class WrongShape(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = nn.Linear(96, 6)

    def forward(self, mel):
        e = mel.mean(dim=1)
        h = self.head(e)
        return h[:, :4], torch.tanh(h[:, 4:]), e


torch.manual_seed(0)
torch.onnx.export(WrongShape(), torch.zeros(1, 64, 96), "fixtures/crnn/wrong_shape.onnx", opset_version=13,
                  input_names=["mel"], output_names=["logits", "valence_arousal", "embedding"],
                  dynamic_axes={"mel": {0: "n"}})
