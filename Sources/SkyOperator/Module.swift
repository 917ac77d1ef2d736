import SkyKubeAPI
