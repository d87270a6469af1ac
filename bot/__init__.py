"""hocbac: học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."""

__version__ = "0.1.0"
