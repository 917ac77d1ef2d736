import Foundation
import Testing

@Suite("CRDs generated from SkyCore's task schema")
struct CRDGeneratorTests {
    @Test("checked-in CRDs (crds/ and the chart's copy) match sky-crdgen's output")
    func checkedInCRDsMatchGenerator() throws {
        let result = try Command.run(Repo.product("sky-crdgen"), ["--check", "--root", Repo.root])
        #expect(result.status == 0, "\(result.output)")
    }
}
