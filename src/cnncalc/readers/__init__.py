"""Readers of model files made by other tools: ONNX, Caffe's prototxt (and their wire formats).

Each reader builds a cnncalc network through the same public API a user
calls; the core never imports them.
"""
