"""A scikit-learn classifier of handwritten digits (the dataset ships with scikit-learn).

Written as Dioptra's plugins are: ``@pyplugs.register`` tasks that log with structlog. Training
records two metrics per epoch with ``log_metric``; the job page plots them.
"""

import numpy as np
import structlog
from dioptra import pyplugs
from sklearn.datasets import load_digits as sklearn_digits
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import confusion_matrix, log_loss
from sklearn.model_selection import train_test_split

from entrypoints.runtime import log_metric

LOGGER = structlog.get_logger()


@pyplugs.register
def load_digits(test_size: float, seed: int):
    """8x8 images of digits scaled to [0, 1], split into training and test sets."""
    images, labels = sklearn_digits(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(
        images / 16.0, labels, test_size=test_size, random_state=seed, stratify=labels
    )
    LOGGER.info("digits loaded", training=len(x_train), testing=len(x_test))
    return x_train, x_test, y_train, y_test


@pyplugs.register
def train_classifier(x_train, y_train, x_test, y_test, epochs: int, learning_rate: float):
    """A logistic-regression classifier fitted by SGD, one pass over the data per epoch."""
    model = SGDClassifier(
        loss="log_loss", learning_rate="constant", eta0=learning_rate, random_state=0
    )
    classes = np.unique(y_train)
    for epoch in range(1, epochs + 1):
        model.partial_fit(x_train, y_train, classes=classes)
        loss = log_loss(y_train, model.predict_proba(x_train), labels=classes)
        accuracy = model.score(x_test, y_test)
        log_metric("training_loss", loss, step=epoch)
        log_metric("test_accuracy", accuracy, step=epoch)
        LOGGER.info("epoch done", epoch=epoch, loss=round(loss, 4), accuracy=round(accuracy, 4))
    return model


@pyplugs.register
def evaluate(model, x_test, y_test):
    """The confusion matrix of the model on the test set (rows: true digit, columns: predicted)."""
    predicted = model.predict(x_test)
    accuracy = float(np.mean(predicted == y_test))
    log_metric("accuracy", accuracy)
    LOGGER.info("evaluated", accuracy=round(accuracy, 4), samples=len(y_test))
    return confusion_matrix(y_test, predicted)
