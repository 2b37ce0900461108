"""Pure-Python core (never imports bpy): spec -> pattern -> exports -> vision -> refinement."""
