"""French text at the edges: formatting (fr_format), input parsing (inputs), display names, the French
argument parser of the commands, the commune search ordering. Imports nothing of the domain."""
