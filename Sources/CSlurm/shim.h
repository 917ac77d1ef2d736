/* libslurm for Swift (Debian: libslurm-dev puts the headers in /usr/include/slurm). */
#ifndef SKY_CSLURM_SHIM_H
#define SKY_CSLURM_SHIM_H

#include <stdint.h>
#include <slurm/slurm.h>
#include <slurm/slurm_errno.h>
#include <slurm/slurm_version.h>

/* Exported by libslurm.so but not declared in the public headers. */
extern char *slurm_job_state_string(uint32_t inx);
extern char *slurm_node_state_string(uint32_t inx);
extern char *slurm_job_reason_string(int inx);

#endif
