package main

import (
	"database/sql"
	"log"
	"net/http"
)

func init() {
	loadSessions()
	if err := store.load("items.xml"); err != nil { // want `store.items is loaded from items.xml at start-up and changed at run time`
		log.Print(err)
	}
	loadBlocked()
	loadPrefs()
	loadAccounts()
	loadOrders()
	loadRatings()
}

func main() {
	loadUsers("users.txt") // want `users is loaded from users.txt at start-up and changed at run time`
	db, err := sql.Open("sqlite", "app.db")
	if err != nil {
		log.Fatal(err)
	}
	if err := loadRegistry(db); err != nil {
		log.Fatal(err)
	}
	go expireUsers()
	http.HandleFunc("/logout", handleLogout)
	http.HandleFunc("/token", handleToken)
	http.HandleFunc("/put", store.put)
	http.HandleFunc("/move", handleMove)
	http.HandleFunc("/block", handleBlock)
	http.HandleFunc("/pref", handlePref)
	http.HandleFunc("/close", handleClose)
	http.HandleFunc("/quota", handleQuota)
	http.HandleFunc("/index", handleIndex)
	http.HandleFunc("/rate", handleRate)
	registerOrders(func(OrderService) {})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
