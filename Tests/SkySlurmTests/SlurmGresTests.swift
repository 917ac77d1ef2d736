import Testing

@testable import SkySlurm

@Suite("Slurm GRES strings")
struct SlurmGresTests {
    @Test func parsesTypedCounts() {
        let gres = SlurmGres(parsing: "gpu:fake:2,gpu:a100:1(S:0-1)")
        #expect(gres.count("gpu") == 3)
        #expect(gres.count("gpu", type: "fake") == 2)
        #expect(gres.gpus["a100"] == 1)
    }

    @Test func parsesUntypedAndUsed() {
        #expect(SlurmGres(parsing: "gpu:4").gpus[nil] == 4)
        #expect(SlurmGres(parsing: "gpu:fake:1(IDX:0)").count("gpu", type: "fake") == 1)
        #expect(SlurmGres(parsing: "gpu:fake:0(IDX:N/A)").count("gpu") == 0)
        #expect(SlurmGres(parsing: "(null)").entries.isEmpty)
        #expect(SlurmGres(parsing: nil).entries.isEmpty)
    }

    @Test func gresBecomesTresPerNode() {
        var request = SlurmJobRequest(
            name: "x", script: "#!/bin/sh\n", workDir: "/tmp", environment: ["A": "1"])
        #expect(request.tresPerNode == nil)
        request.gresPerNode = "gpu:fake:2"
        #expect(request.tresPerNode == "gres:gpu:fake:2")
    }
}
