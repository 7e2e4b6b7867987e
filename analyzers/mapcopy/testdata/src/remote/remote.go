package remote

import "settings"

func resetAll(all []settings.Settings) {
	for _, s := range all {
		s.Labels = nil // want `s.Labels = nil assigns to a copy \(range value s\): all\[i\].Labels is unchanged`
	}
}

func label(s settings.Settings, k, v string) settings.Settings {
	s.Labels[k] = v // want `s.Labels\[k\] = v writes into the map that the returned copy shares with the caller \(parameter s settings.Settings\)`
	return s
}

func labelled(s settings.Settings) settings.Settings {
	return s.WithLabel("team", "core")
}
