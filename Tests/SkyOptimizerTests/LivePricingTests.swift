import Foundation
import SkyCatalog
import Testing

@Suite struct LivePricingTests {
    @Test func unconfiguredIsFree() {
        #expect(
            LivePricing.free.hourlyCost(
                region: "ctx", zone: nil, cpus: 8, memoryGB: 32, accelerator: "H100", count: 8) == 0
        )
    }

    @Test func configFormPricesAcceleratorsOrCPUs() {
        let pricing = LivePricing(cpu: 0.05, memory: 0.01, accelerators: ["H100": 2.5])
        #expect(
            pricing.hourlyCost(
                region: nil, zone: nil, cpus: 4, memoryGB: 16, accelerator: nil, count: 0) == 4
                * 0.05 + 16 * 0.01)
        #expect(
            pricing.hourlyCost(
                region: nil, zone: nil, cpus: 4, memoryGB: 16, accelerator: "h100", count: 2) == 5.0
        )
        #expect(
            pricing.hourlyCost(
                region: nil, zone: nil, cpus: 4, memoryGB: 16, accelerator: "A100", count: 2) == 0)
    }

    @Test func csvMostSpecificLocationWins() {
        let csv = """
            Region,Zone,PricePerVCPU,PricePerMemoryGB,AcceleratorName,PricePerAccelerator
            ,,0.01,0.001,,
            ctx-a,,0.02,0.002,,
            ctx-a,p1,0.03,0.003,,
            ,p2,0.04,0.004,,
            ,,,,H100,3.0
            ctx-a,,,,H100,2.0

            """
        let pricing = LivePricing(csv: Data(csv.utf8))
        func cost(_ region: String?, _ zone: String?) -> Double {
            pricing.hourlyCost(
                region: region, zone: zone, cpus: 1, memoryGB: 10, accelerator: nil, count: 0)
        }
        #expect(abs(cost("ctx-a", "p1") - 0.06) < 1e-12)
        #expect(abs(cost("ctx-a", "p9") - 0.04) < 1e-12)
        #expect(abs(cost("ctx-b", "p2") - 0.08) < 1e-12)
        #expect(abs(cost("ctx-b", "p9") - 0.02) < 1e-12)
        let gpu = pricing.hourlyCost(
            region: "ctx-a", zone: nil, cpus: 0, memoryGB: 0, accelerator: "H100", count: 2)
        #expect(gpu == 4.0)
        let elsewhere = pricing.hourlyCost(
            region: "ctx-z", zone: nil, cpus: 0, memoryGB: 0, accelerator: "H100", count: 2)
        #expect(elsewhere == 6.0)
    }
}
