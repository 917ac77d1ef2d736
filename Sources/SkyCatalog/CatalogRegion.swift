/// A region with the zones (in preference order) that offer a resource; `zones` is nil for
/// zone-less clouds (Azure, Lambda).
package struct CatalogRegion: Sendable, Hashable {
    package var name: String
    package var zones: [String]?

    package init(name: String, zones: [String]?) {
        self.name = name
        self.zones = zones
    }
}
