"""A stand-in for the two import paths Dioptra's plugins use, for jobs where the real `dioptra`
package is not importable: `from dioptra import pyplugs` and
`from dioptra.sdk.api.artifact import ArtifactTaskInterface`. Not a copy of Dioptra: only what
plugin files need at import time and what the executor calls.
"""
