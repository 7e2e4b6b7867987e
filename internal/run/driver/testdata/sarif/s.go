package sarif

func old() int { return 0 }

func caller() {
	_ = []any{"héllo 𝄞", old()}
}
