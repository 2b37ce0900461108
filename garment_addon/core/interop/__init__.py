"""Interchange with other pattern tools: GarmentCode (pygarment) specification JSON in and out."""

from .garmentcode import from_garmentcode, seam_table, to_garmentcode

__all__ = ["from_garmentcode", "seam_table", "to_garmentcode"]
