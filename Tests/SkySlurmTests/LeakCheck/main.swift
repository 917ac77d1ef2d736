// Runs the SlurmClient load/free cycle N times, for valgrind:
//   valgrind --leak-check=full sky-slurm-leakcheck <cycles> [submit]
// The SkySlurm tests run it with 1 and with many cycles and require the same "definitely
// lost" figure: a wrapper that forgot a free would lose more with every cycle.
import CSlurm
import Foundation
import SkySlurm

let arguments = CommandLine.arguments
let cycles = arguments.count > 1 ? Int(arguments[1]) ?? 1 : 1
let submit = arguments.contains("submit")

do {
    let client = try SlurmClient()
    var lastJob: UInt32 = 0
    for _ in 0..<cycles {
        _ = try client.performSync { () throws(SlurmError) in
            let nodes = try SlurmAPIProbe.nodes()
            let partitions = try SlurmAPIProbe.partitions()
            let jobs = try SlurmAPIProbe.jobs()
            _ = try SlurmAPIProbe.job(id: jobs.first?.id ?? 1)
            _ = try SlurmAPIProbe.jobs(userID: getuid())
            _ = try SlurmAPIProbe.controlSettings()
            _ = SlurmAPIProbe.expand("node[1-4],other[01-03]")
            return nodes.count + partitions.count
        }
        if submit {
            // A batch job (slurm_submit_batch_job) and an allocation (slurm_allocate_resources).
            for script in ["#!/bin/sh\nexec sleep 60\n", nil] {
                let request = SlurmJobRequest(
                    name: "sky-leakcheck", script: script, nodes: 1, cpusPerTask: 1,
                    gresPerNode: "gpu:1", timeLimitMinutes: 2, workDir: "/tmp",
                    stdOut: script == nil ? nil : "/dev/null",
                    environment: script == nil ? [:] : ["PATH": "/usr/bin:/bin"])
                lastJob = try client.performSync { () throws(SlurmError) in
                    try SlurmAPIProbe.submit(request)
                }
                try client.performSync { () throws(SlurmError) in try SlurmAPIProbe.kill(lastJob) }
            }
        }
    }
    sky_slurm_fini()
    print("ok cycles=\(cycles) lastJob=\(lastJob)")
} catch {
    print("error: \(error)")
    exit(2)
}
