package svc

import (
	"context"
	"sync"

	"pb"
)

// greeter is a gRPC service: the server runs each call on a goroutine of
// its own.
type greeter struct {
	mu     sync.Mutex
	seen   map[string]int
	counts map[string]int
}

func (g *greeter) SayHello(ctx context.Context, req *pb.HelloRequest) (*pb.HelloReply, error) {
	g.seen[req.Name]++ // want `write to map field greeter.seen with no lock held, in gRPC method greeter.SayHello, which runs once per call`
	g.mu.Lock()
	g.counts[req.Name]++
	g.mu.Unlock()
	return &pb.HelloReply{Message: "hello " + req.Name}, nil
}

func (g *greeter) Forget(ctx context.Context, req *pb.HelloRequest) (*pb.HelloReply, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.counts, req.Name)
	return &pb.HelloReply{}, nil
}

// helper is a method of the service type that no call of the service
// reaches: not a context.
func (g *greeter) helper() { g.seen["x"] = 1 }

func Register(s pb.Registrar) {
	pb.RegisterGreeterServer(s, &greeter{seen: map[string]int{}, counts: map[string]int{}})
}
