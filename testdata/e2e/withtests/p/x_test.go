package p_test

import (
	"encoding/json"
	"sync"
	"testing"
)

func TestY(t *testing.T) {
	var m sync.Map
	json.Marshal(&m)
}
