/* libslurm for Swift (Debian: libslurm-dev puts the headers in /usr/include/slurm).
 *
 * libslurm is opened at run time (dlopen), not linked: `sky` starts on a machine without it
 * (a laptop that reaches Slurm through a login node, or uses no Slurm at all), and a Slurm
 * command there says what is missing. The types and constants come from the headers; every
 * function is called through `sky_slurm_*`, resolved by `sky_slurm_open`. */
#ifndef SKY_CSLURM_H
#define SKY_CSLURM_H

#include <stdint.h>
#include <time.h>
#include <slurm/slurm.h>
#include <slurm/slurm_errno.h>
#include <slurm/slurm_version.h>

/* Opens `library` (a file name such as "libslurm.so.38", the one the headers describe, or a
 * path), else with `fallback` "libslurm.so", once per process, and resolves every function
 * below. Returns NULL on success, else why not (kept: a later call returns the same). Not
 * thread-safe: call it where every libslurm call runs (one serial queue). */
const char *sky_slurm_open(const char *library, int fallback);

long sky_slurm_api_version(void);
void sky_slurm_init(const char *conf);
void sky_slurm_fini(void);
int sky_slurm_get_errno(void);
char *sky_slurm_strerror(int errnum);

int sky_slurm_load_ctl_conf(time_t update_time, slurm_conf_t **conf);
void sky_slurm_free_ctl_conf(slurm_conf_t *conf);
int sky_slurm_load_partitions(time_t update_time, partition_info_msg_t **resp, uint16_t flags);
void sky_slurm_free_partition_info_msg(partition_info_msg_t *msg);
int sky_slurm_load_node(time_t update_time, node_info_msg_t **resp, uint16_t flags);
void sky_slurm_free_node_info_msg(node_info_msg_t *msg);
int sky_slurm_get_select_nodeinfo(
    dynamic_plugin_data_t *nodeinfo, enum select_nodedata_type data_type,
    enum node_states state, void *data);
int sky_slurm_load_job(job_info_msg_t **resp, uint32_t job_id, uint16_t flags);
int sky_slurm_load_jobs(time_t update_time, job_info_msg_t **resp, uint16_t flags);
int sky_slurm_load_job_user(job_info_msg_t **resp, uint32_t user_id, uint16_t flags);
void sky_slurm_free_job_info_msg(job_info_msg_t *msg);
int sky_slurm_kill_job(uint32_t job_id, uint16_t signal, uint16_t flags);
void sky_slurm_init_job_desc_msg(job_desc_msg_t *desc);
int sky_slurm_submit_batch_job(job_desc_msg_t *desc, submit_response_msg_t **resp);
void sky_slurm_free_submit_response_response_msg(submit_response_msg_t *msg);
int sky_slurm_allocate_resources(
    job_desc_msg_t *desc, resource_allocation_response_msg_t **resp);
void sky_slurm_free_resource_allocation_response_msg(resource_allocation_response_msg_t *msg);
hostlist_t sky_slurm_hostlist_create(const char *hostlist);
char *sky_slurm_hostlist_shift(hostlist_t hl);
void sky_slurm_hostlist_destroy(hostlist_t hl);
/* Exported by libslurm.so but not declared in its public headers. */
char *sky_slurm_job_state_string(uint32_t inx);
char *sky_slurm_node_state_string(uint32_t inx);
char *sky_slurm_job_reason_string(int inx);

#endif
