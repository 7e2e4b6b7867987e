package sariftest

import (
	"strings"
	"testing"
)

func TestValidateAcceptsAMinimalLog(t *testing.T) {
	log := `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "mapguard"}}, "results": []}]}`
	if err := Validate([]byte(log)); err != nil {
		t.Error(err)
	}
}

func TestValidateRejectsInvalidLogs(t *testing.T) {
	for _, tc := range []struct{ log, want string }{
		{`{"version": "2.1.0", "runs": [{"results": []}]}`, "tool"},
		{`{"version": "2.0.0", "runs": []}`, "version"},
		{`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "m"}}, "results": [{"message": {"text": "x"}, "locations": null}]}]}`, "locations"},
		{`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "m", "rules": [{"id": "r", "helpUri": ""}]}}}]}`, "helpUri"},
	} {
		err := Validate([]byte(tc.log))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%s) = %v, want an error about %s", tc.log, err, tc.want)
		}
	}
}
