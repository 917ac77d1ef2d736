import SkyCore
import SkyProvision
import SkyRuntime
