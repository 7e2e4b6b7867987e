package p

import (
	"encoding/json"
	"sync"
	"testing"
)

func TestX(t *testing.T) {
	var m sync.Map
	json.Marshal(&m)
}
