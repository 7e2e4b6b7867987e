package r

func bad() {}

func uses() {
	bad() // want `call of bad`

	bad() //mapguard:ignore testcheck the caller holds the lock

	//mapguard:ignore testcheck reviewed: the loss is intended
	bad()

	//mapguard:ignore othercheck,testcheck two checks at once
	bad()

	//mapguard:ignore all everything here is reviewed
	bad()

	bad() //mapguard:ignore othercheck reason for another check // want `call of bad`

	//mapguard:ignore testcheck
	bad() // want `call of bad`

	//mapguard:ignoretestcheck not a directive
	bad() // want `call of bad`

	//mapguard:ignore testcheck reason, but two lines above

	bad() // want `call of bad`
}
