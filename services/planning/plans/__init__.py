"""The annual plan (годишен план за дейността): import, activities, progress, evidence, the execution report."""
