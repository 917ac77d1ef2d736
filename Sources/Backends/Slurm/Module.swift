// SkySlurm: the `slurm` backend through libslurm (CSlurm).
