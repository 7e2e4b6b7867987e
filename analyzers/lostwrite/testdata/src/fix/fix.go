package fix

type task struct {
	done  bool
	tries int
	name  string
}

func (t *task) retry() { t.tries++ }

func finish(tasks []task) {
	for _, t := range tasks {
		t.done = true // want `t.done = true updates t, a copy of tasks\[i\]`
	}
}

func retryAll(tasks []task, skip string) {
	for n, t := range tasks {
		if t.name == skip || n > 10 {
			continue
		}
		t.retry() // want `t.retry\(\) updates t, a copy of tasks\[n\] \(retry has a pointer receiver\)`
	}
}

type queue struct{ items []task }

func (q *queue) finishAll() {
	for _, t := range q.items {
		t.done = true // want `t.done = true updates t, a copy of q.items\[i\]`
	}
}

// No fix: the copy is also used whole, or ranged over a map or a call.

func finishLogged(tasks []task, log func(task)) {
	for _, t := range tasks {
		log(t)
		t.done = true // want `t.done = true updates t, a copy of tasks\[i\]`
	}
}

func finishByName(tasks map[string]task) {
	for _, t := range tasks {
		t.done = true // want `t.done = true updates t, a copy of tasks\[k\]`
	}
}

func finishFrom(get func() []task) {
	for _, t := range get() {
		t.done = true // want `t.done = true updates t, a copy of get\(\)\[i\]`
	}
}
