"""Body proportions as fractions of standing height: the numbers the spec, the drafting, the photo
categories and the synthetic photos share, written once (standard adult anthropometric averages)."""

from __future__ import annotations

ARM_LENGTH = 0.345  # shoulder point to wrist
INSEAM = 0.46  # crotch to the floor at the ankle

# Landmarks measured down from the top of the head (the synthetic renderer draws the same body).
BODY = dict(
    chin=0.13,
    neck=0.145,
    shoulder=0.18,
    bust=0.27,
    elbow=0.37,
    waist=0.38,
    hip=0.48,
    crotch=0.53,
    wrist=0.49,
    knee=0.72,
    calf=0.84,
    ankle=0.955,
)
