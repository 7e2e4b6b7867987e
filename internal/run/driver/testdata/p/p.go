package p

func old() {}

func caller() {
	old()
	old()
}
