"""The one output format of every benchmark, shared by ``python -m bench`` and standalone runs."""


def figure(name: str, value: float, unit: str) -> None:
    """Print one figure as ``bench: <name> = <value> <unit>``."""
    print(f"bench: {name} = {value:.3f} {unit}", flush=True)
