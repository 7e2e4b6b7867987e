package typeerror

import "encoding/json"

func Save() ([]byte, error) {
	return json.Marshal(undefinedThing)
}
