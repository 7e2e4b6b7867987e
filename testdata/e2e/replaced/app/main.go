package main

import (
	"fmt"

	"example.com/ext"
)

func main() { fmt.Println(ext.Dump(&ext.Registry{})) }
