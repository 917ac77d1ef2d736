/* Opens libslurm at run time and forwards each `sky_slurm_*` call to it (see CSlurm.h). */
#include "CSlurm.h"

#include <dlfcn.h>
#include <stdio.h>

/* Not declared in the public headers. */
extern char *slurm_job_state_string(uint32_t inx);
extern char *slurm_node_state_string(uint32_t inx);
extern char *slurm_job_reason_string(int inx);

#define SKY_SLURM_FUNCTIONS(X)                                                              \
    X(slurm_api_version) X(slurm_init) X(slurm_fini) X(slurm_get_errno) X(slurm_strerror)                 \
    X(slurm_load_ctl_conf) X(slurm_free_ctl_conf) X(slurm_load_partitions)                  \
    X(slurm_free_partition_info_msg) X(slurm_load_node) X(slurm_free_node_info_msg)         \
    X(slurm_get_select_nodeinfo) X(slurm_load_job) X(slurm_load_jobs)                       \
    X(slurm_load_job_user) X(slurm_free_job_info_msg) X(slurm_kill_job)                     \
    X(slurm_init_job_desc_msg) X(slurm_submit_batch_job)                                    \
    X(slurm_free_submit_response_response_msg) X(slurm_allocate_resources)                  \
    X(slurm_free_resource_allocation_response_msg) X(slurm_hostlist_create)                 \
    X(slurm_hostlist_shift) X(slurm_hostlist_destroy) X(slurm_job_state_string)             \
    X(slurm_node_state_string) X(slurm_job_reason_string)

#define SKY_SLURM_POINTER(name) static __typeof__(&name) p_##name;
SKY_SLURM_FUNCTIONS(SKY_SLURM_POINTER)

static int opened;
static char failure[512];

const char *sky_slurm_open(const char *library, int fallback) {
    if (opened) return failure[0] ? failure : NULL;
    opened = 1;
    /* Global: libslurm's own plugins (auth_munge.so, select_*.so) resolve its symbols. */
    void *handle = library ? dlopen(library, RTLD_LAZY | RTLD_GLOBAL) : NULL;
    if (!handle && library) snprintf(failure, sizeof failure, "%s", dlerror());
    if (!handle && fallback) handle = dlopen("libslurm.so", RTLD_LAZY | RTLD_GLOBAL);
    if (!handle) {
        if (!failure[0]) snprintf(failure, sizeof failure, "%s", dlerror());
        return failure;
    }
    failure[0] = 0;
#define SKY_SLURM_RESOLVE(name)                                                              \
    p_##name = (__typeof__(p_##name))dlsym(handle, #name);                                  \
    if (!p_##name) {                                                                         \
        snprintf(failure, sizeof failure, "libslurm has no %s", #name);                      \
        return failure;                                                                      \
    }
    SKY_SLURM_FUNCTIONS(SKY_SLURM_RESOLVE)
    return NULL;
}

long sky_slurm_api_version(void) { return p_slurm_api_version(); }
void sky_slurm_init(const char *conf) { p_slurm_init(conf); }
void sky_slurm_fini(void) { p_slurm_fini(); }
int sky_slurm_get_errno(void) { return p_slurm_get_errno(); }
char *sky_slurm_strerror(int errnum) { return p_slurm_strerror(errnum); }

int sky_slurm_load_ctl_conf(time_t update_time, slurm_conf_t **conf) {
    return p_slurm_load_ctl_conf(update_time, conf);
}
void sky_slurm_free_ctl_conf(slurm_conf_t *conf) { p_slurm_free_ctl_conf(conf); }
int sky_slurm_load_partitions(time_t update_time, partition_info_msg_t **resp, uint16_t flags) {
    return p_slurm_load_partitions(update_time, resp, flags);
}
void sky_slurm_free_partition_info_msg(partition_info_msg_t *msg) {
    p_slurm_free_partition_info_msg(msg);
}
int sky_slurm_load_node(time_t update_time, node_info_msg_t **resp, uint16_t flags) {
    return p_slurm_load_node(update_time, resp, flags);
}
void sky_slurm_free_node_info_msg(node_info_msg_t *msg) { p_slurm_free_node_info_msg(msg); }
int sky_slurm_get_select_nodeinfo(
    dynamic_plugin_data_t *nodeinfo, enum select_nodedata_type data_type,
    enum node_states state, void *data) {
    return p_slurm_get_select_nodeinfo(nodeinfo, data_type, state, data);
}
int sky_slurm_load_job(job_info_msg_t **resp, uint32_t job_id, uint16_t flags) {
    return p_slurm_load_job(resp, job_id, flags);
}
int sky_slurm_load_jobs(time_t update_time, job_info_msg_t **resp, uint16_t flags) {
    return p_slurm_load_jobs(update_time, resp, flags);
}
int sky_slurm_load_job_user(job_info_msg_t **resp, uint32_t user_id, uint16_t flags) {
    return p_slurm_load_job_user(resp, user_id, flags);
}
void sky_slurm_free_job_info_msg(job_info_msg_t *msg) { p_slurm_free_job_info_msg(msg); }
int sky_slurm_kill_job(uint32_t job_id, uint16_t signal, uint16_t flags) {
    return p_slurm_kill_job(job_id, signal, flags);
}
void sky_slurm_init_job_desc_msg(job_desc_msg_t *desc) { p_slurm_init_job_desc_msg(desc); }
int sky_slurm_submit_batch_job(job_desc_msg_t *desc, submit_response_msg_t **resp) {
    return p_slurm_submit_batch_job(desc, resp);
}
void sky_slurm_free_submit_response_response_msg(submit_response_msg_t *msg) {
    p_slurm_free_submit_response_response_msg(msg);
}
int sky_slurm_allocate_resources(
    job_desc_msg_t *desc, resource_allocation_response_msg_t **resp) {
    return p_slurm_allocate_resources(desc, resp);
}
void sky_slurm_free_resource_allocation_response_msg(resource_allocation_response_msg_t *msg) {
    p_slurm_free_resource_allocation_response_msg(msg);
}
hostlist_t sky_slurm_hostlist_create(const char *hostlist) {
    return p_slurm_hostlist_create(hostlist);
}
char *sky_slurm_hostlist_shift(hostlist_t hl) { return p_slurm_hostlist_shift(hl); }
void sky_slurm_hostlist_destroy(hostlist_t hl) { p_slurm_hostlist_destroy(hl); }
char *sky_slurm_job_state_string(uint32_t inx) { return p_slurm_job_state_string(inx); }
char *sky_slurm_node_state_string(uint32_t inx) { return p_slurm_node_state_string(inx); }
char *sky_slurm_job_reason_string(int inx) { return p_slurm_job_reason_string(inx); }
