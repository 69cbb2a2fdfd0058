"""Hello world, and a toy version of the seed's model-training example (no ML libraries)."""

import random


def hello_world(greeting: str, name: str) -> str:
    """Greet someone; the message is printed to the job log and returned."""
    message = f"{greeting}, {name}!"
    print(message)
    return message


def shout(message: str) -> str:
    """The message in capitals (a second step for a message read back from an artifact)."""
    loud = message.upper()
    print(loud)
    return loud


def load_from_disk(location: str) -> tuple[list, list]:
    """A reproducible toy dataset of (x, y) points: 40 for training, 10 for testing."""
    rng = random.Random(location)
    xs = [rng.uniform(0.0, 10.0) for _ in range(50)]
    points = [(x, 3.0 * x + 1.0 + rng.gauss(0.0, 0.5)) for x in xs]
    return points[:40], points[40:]


def train(architecture: str, dataset) -> dict:
    """Fit y = slope * x + intercept by least squares (``architecture`` is only recorded)."""
    n = len(dataset)
    mean_x = sum(x for x, _ in dataset) / n
    mean_y = sum(y for _, y in dataset) / n
    spread = sum((x - mean_x) ** 2 for x, _ in dataset) or 1.0
    slope = sum((x - mean_x) * (y - mean_y) for x, y in dataset) / spread
    return {"architecture": architecture, "slope": slope, "intercept": mean_y - slope * mean_x}


def predict(model, dataset) -> list:
    """The model's prediction for each point's x."""
    return [model["slope"] * x + model["intercept"] for x, _ in dataset]
