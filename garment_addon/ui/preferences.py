"""Add-on preferences: the VLM connection and the default render profile.

Preferences live in Blender's userpref.blend, never in a scene's .blend file,
so the API key does not travel with shared scenes. The key is a PASSWORD field
(drawn as dots) and is only ever handed to core.vlm.VLMClient, which redacts it.
"""

from __future__ import annotations

import bpy
from bpy.props import EnumProperty, StringProperty

from .properties import PROFILES

try:
    from ..core.vlm.client import DEFAULT_BASE_URL, DEFAULT_MODELS
except ImportError:  # the VLM client is optional: preferences still register without it
    DEFAULT_BASE_URL, DEFAULT_MODELS = "", ()

ADDON_ID = __package__.rpartition(".")[0]  # "garment_addon" or "bl_ext.<repo>.garment_addon"


class GarmentPreferences(bpy.types.AddonPreferences):
    bl_idname = ADDON_ID

    vlm_base_url: StringProperty(name="VLM base URL", default=DEFAULT_BASE_URL,
                                 description="OpenAI-compatible chat-completions endpoint")
    vlm_models: StringProperty(name="Models", default=", ".join(DEFAULT_MODELS),
                               description="Comma-separated model names, tried in order")
    vlm_api_key: StringProperty(name="API key", subtype="PASSWORD",
                                description="Key for the VLM server (stored in your preferences only)")
    render_profile: EnumProperty(name="Render profile", items=PROFILES, default="preview")

    def draw(self, context):
        col = self.layout.column()
        col.prop(self, "vlm_base_url")
        col.prop(self, "vlm_models")
        col.prop(self, "vlm_api_key")
        col.label(text="The key is kept in Blender's preferences, never in .blend files.", icon="LOCKED")
        col.prop(self, "render_profile")


def get(context=None):
    """This add-on's preferences, or None when it is not registered as an add-on (plain import)."""
    context = context or bpy.context
    addon = context.preferences.addons.get(ADDON_ID)
    return addon.preferences if addon else None


def vlm_client(context=None):
    """A VLMClient from the preferences (environment variables fill what is empty)."""
    from ..core.vlm import VLMClient

    prefs = get(context)
    if prefs is None:
        return VLMClient.from_env()
    return VLMClient.from_env(base_url=prefs.vlm_base_url or None, models=prefs.vlm_models or None,
                              api_key=prefs.vlm_api_key or None)


CLASSES = (GarmentPreferences,)


register, unregister = bpy.utils.register_classes_factory(CLASSES)
