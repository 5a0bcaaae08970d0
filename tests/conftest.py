import os, pathlib
ROOT = pathlib.Path(__file__).resolve().parent.parent
os.environ.setdefault('HF_HUB_OFFLINE', '1')  # fail fast where nothing can be downloaded
os.environ.setdefault('MPLBACKEND', 'Agg')
