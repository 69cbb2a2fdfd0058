"""A toy regression: reproducible points, a least-squares line, its mean squared error."""

import random


def load_points(seed: int, count: int = 50) -> tuple[list, list]:
    rng = random.Random(seed)
    xs = [rng.uniform(0, 10) for _ in range(count)]
    points = [(x, 3.0 * x + 1.0 + rng.gauss(0.0, 0.5)) for x in xs]
    cut = count * 4 // 5
    return points[:cut], points[cut:]


def fit(points: list, architecture: str = "least-squares") -> dict:
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points) or 1.0
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    return {"slope": slope, "intercept": mean_y - slope * mean_x, "architecture": architecture}


def score(model: dict, points: list) -> float:
    errors = [(model["slope"] * x + model["intercept"] - y) ** 2 for x, y in points]
    return sum(errors) / len(errors)
