package fixlists

import "container/list"

type itemList struct{ l *list.List }
